"""scs-book: data loaders and chart helpers for the computational companion to
'Fragmented reality, cohesive ideology' (C.-Ș. Alexandrescu)."""

__version__ = "0.1.0"
