"""The kiosk's two looks, as Textual themes: calm (the default) and high contrast, for visitors
who see poorly. Both keep every text at a contrast of at least 4.5:1 with what is behind it
(WCAG 2.2 AA), which ``tests/test_accessibility.py`` measures on every visitor screen; neither
lets colour alone carry a meaning (every state is also said in words)."""

from __future__ import annotations

from textual.theme import Theme

CALM = Theme(
    name="kiosk-calm",
    primary="#1D5FA6",  # deep enough for light text on the main button, focused or not
    secondary="#3A6E8F",
    accent="#E0A030",
    warning="#E0A030",
    error="#E06C75",
    success="#5FB878",
    foreground="#ECECEC",
    background="#1B1D21",
    surface="#1B1D21",
    panel="#2A2E35",
    dark=True,
    variables={"text-primary": "#9CC3F0"},  # the title, on the question screen's panel bar
)
HIGH_CONTRAST = Theme(
    name="kiosk-high-contrast",
    primary="#FFE600",  # yellow buttons, black text on them
    secondary="#00E5FF",
    accent="#FFE600",
    warning="#FFE600",
    error="#FF8080",
    success="#7CFF7C",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#FFFFFF",
    dark=True,
    text_alpha=1.0,
    variables={"text-muted": "#FFFFFF", "text-primary": "#FFE600"},
)
THEMES = {"calm": CALM, "high_contrast": HIGH_CONTRAST}
