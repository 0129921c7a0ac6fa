/**
 * Milliseconds on a clock that only goes forward (`performance.now()`), for deadlines and
 * durations. The wall clock (`Date.now()`) can be set back or forward at any moment (NTP
 * stepping a VM's clock, a resumed laptop, a migrated VM), and a deadline on it is then as
 * far away as the step: a stop's 1 s grace or a lock's 100 ms wait would last minutes. Use
 * the wall clock only for what is shown or stored as a time (docs/decisions.md).
 */
export function monotonicMs(): number {
  return performance.now();
}
