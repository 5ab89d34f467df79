from bench import workdays

workdays.main()
