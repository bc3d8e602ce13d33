"""Pure name analysis: normalisation, Chinese script and pinyin, legal forms, name structure."""
