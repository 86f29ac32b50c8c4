"""The reminder daemon: idle detection, desktop notifications, the loop, the service."""
