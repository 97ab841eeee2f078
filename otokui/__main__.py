from otokui.cli import main

main()
