/* Measurement probes around one head update (as firmware/app/ta_probe.h for the frontend and the model):
 * empty, never-inlined functions whose addresses the QEMU instruction-count plugin brackets
 * (region "head_update" in python/tinyaudio/emulate/qemu.py). */
#ifndef TA_HEAD_PROBE_H
#define TA_HEAD_PROBE_H

void ta_probe_head_update_begin(void);
void ta_probe_head_update_end(void);

#endif /* TA_HEAD_PROBE_H */
