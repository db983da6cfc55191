"""Training: recipe schema, augmentation, distillation loss, training loop and the whole train pipeline."""
