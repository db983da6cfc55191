/* Measurement probes: empty, never-inlined functions called around the work we want to count.
 *
 * The QEMU instruction-count plugin (tools/qemu_plugin) is given the addresses of these functions and
 * counts the instructions executed between a _begin and the matching _end. On every platform they
 * cost a call and a store; they have no other effect. */
#ifndef TA_PROBE_H
#define TA_PROBE_H

void ta_probe_frontend_begin(void);
void ta_probe_frontend_end(void);
void ta_probe_model_begin(void);
void ta_probe_model_end(void);

#endif /* TA_PROBE_H */
