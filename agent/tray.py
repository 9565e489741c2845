"""The tray icon: shows that the agent runs, and offers Quit. Optional by design.

Started only without --no-gui and when a display exists; any failure to start it (no backend, no
display server) leaves the agent running without it. pystray runs its own loop in a thread here;
macOS insists on the main thread for it, so there the agent runs without a tray for now.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

log = logging.getLogger("promptfence.agent.tray")


def display_available() -> bool:
    if sys.platform == "win32":
        return True
    if sys.platform == "darwin":
        return False  # see the module docstring
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _icon_image():
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 60, 60), radius=12, fill=(34, 94, 168, 255))
    for x in (18, 32, 46):  # a fence
        draw.rectangle((x - 3, 16, x + 3, 50), fill=(255, 255, 255, 255))
    draw.rectangle((12, 26, 52, 30), fill=(255, 255, 255, 255))
    draw.rectangle((12, 38, 52, 42), fill=(255, 255, 255, 255))
    return image


class Tray:
    def __init__(self, icon):
        self._icon = icon

    def stop(self) -> None:
        try:
            self._icon.stop()
        except Exception:  # noqa: BLE001 - shutting down anyway
            pass


def start_if_possible() -> Tray | None:
    if not display_available():
        return None
    try:
        import pystray

        def quit_agent(icon, _item):
            icon.stop()
            # The daemon's loop stops on SIGTERM and releases its socket and lock.
            os.kill(os.getpid(), signal.SIGTERM)

        icon = pystray.Icon(
            "promptfence",
            _icon_image(),
            "Promptfence agent",
            menu=pystray.Menu(pystray.MenuItem("Promptfence agent is running", None, enabled=False),
                              pystray.MenuItem("Quit", quit_agent)),
        )
        threading.Thread(target=icon.run, name="tray", daemon=True).start()
        return Tray(icon)
    except Exception as error:  # noqa: BLE001 - the tray is a convenience, never a reason to fail
        log.warning("no tray icon: %s", type(error).__name__)
        return None
