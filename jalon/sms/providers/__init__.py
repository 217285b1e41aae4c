"""SMS providers behind one interface (``base.SmsProvider``).

``linkmobility`` is the real HTTP adapter, ``failover`` spreads sends over several providers
by weight, ``dev`` keeps messages on the machine.
"""
