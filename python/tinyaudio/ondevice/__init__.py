"""On-device learning: the numpy mirror of the device's trainable head (firmware/ondevice), the head record
format shared with the device, and fleet aggregation."""
