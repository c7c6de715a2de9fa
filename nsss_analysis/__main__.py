from nsss_analysis.cli import main

raise SystemExit(main())
