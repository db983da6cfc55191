"""Full-integer int8 export of Keras models, op-list checks and int8 accuracy (TensorFlow imported lazily)."""
