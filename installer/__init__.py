"""Native-host registration, autostart and MDM artefacts."""
