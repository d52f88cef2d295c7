"""The Textual user interface: the app, screens, widgets and styles."""
