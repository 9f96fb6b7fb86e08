"""The program a branded build runs: the same ``sdm-app`` command line."""

from sdm_app.cli import main

raise SystemExit(main())
