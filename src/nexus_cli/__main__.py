from nexus_cli.cli import main

main()
