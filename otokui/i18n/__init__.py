"""Words and formats per locale: the catalogues of labels and sentences, money and dates."""
