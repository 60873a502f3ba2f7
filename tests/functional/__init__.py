"""Functional tests: the commands, the dashboard (Pilot, SVG snapshots, tmux) and HTTP against
a real server on 127.0.0.1, as a user meets them."""
