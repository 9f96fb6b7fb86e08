"""Offline shared decision-making and patient education for precision medicine."""

__version__ = "0.1.0"
APP_NAME = "sdm-app"
