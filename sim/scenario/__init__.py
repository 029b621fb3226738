"""The scenario format: quantities with units, the schema, the safe loader with ``extends``, and
the cited facts. Everything here turns user text into validated SI values; nothing runs."""
