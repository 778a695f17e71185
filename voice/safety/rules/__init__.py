"""The rule tables of the safety detector: pattern families (``suicide``, ``harm``,
``general``), the context words read around a match (``context``), and the everyday and
figurative uses masked before any rule runs (``figurative``, ``everyday``).
"""
