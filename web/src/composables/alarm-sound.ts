/**
 * The alarm tone of the command centre: three short high beeps, made with Web Audio (no sound file
 * to load). Browsers let a page sound only after the user has interacted with it; before that the
 * call is silently refused, and the flashing bar still shows.
 */
let context: AudioContext | null = null;

export function playAlarm(beeps = 3) {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
    const start = context.currentTime + 0.05;
    for (let i = 0; i < beeps; i++) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'square';
      oscillator.frequency.value = i % 2 ? 880 : 1320;
      gain.gain.setValueAtTime(0.12, start + i * 0.3);
      gain.gain.setValueAtTime(0, start + i * 0.3 + 0.18);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + i * 0.3);
      oscillator.stop(start + i * 0.3 + 0.2);
    }
    document.documentElement.dataset.alarmPlayedAt = String(Date.now());
  } catch {
    // No audio on this device: the bar still flashes.
  }
}
