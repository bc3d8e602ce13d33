"""Precision: named features over two analysed names, combined by a versioned algorithm."""
