from uflpa.cli.app import main

main()
