from sdm_app.cli import main

raise SystemExit(main())
