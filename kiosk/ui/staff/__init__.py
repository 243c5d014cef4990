"""The staff screens: the PIN prompt, the mediator's and the coordinator's areas, guided
sessions, results opened from their code. They run in a mode of the app of their own (see
``mode``); the rules and the files behind them are in ``kiosk.staff``."""
