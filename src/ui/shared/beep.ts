/**
 * Verdict sounds through WebAudio, so no audio files ship and nothing needs decoding. The three
 * are told apart by pitch and rhythm, not only loudness: one short high tone (allow), two
 * middle tones (warn), a long low buzz (refuse) — audible through shop noise and for people
 * who cannot see the colour.
 */
import type { VerdictEvent } from '../../server/contract/index.ts';

type Decision = VerdictEvent['decision'];

interface Tone { freq: number; start: number; duration: number; type: OscillatorType }

/** The tones of each verdict, seconds from now. */
export const TONES: Readonly<Record<Decision, readonly Tone[]>> = {
  allow: [{ freq: 1760, start: 0, duration: 0.09, type: 'sine' }],
  warn: [{ freq: 880, start: 0, duration: 0.12, type: 'triangle' }, { freq: 880, start: 0.2, duration: 0.12, type: 'triangle' }],
  refuse: [{ freq: 220, start: 0, duration: 0.6, type: 'square' }],
};

let context: AudioContext | null = null;

/** Plays the verdict's sound; silently does nothing where audio is unavailable. */
export function beep(decision: Decision): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
    const now = context.currentTime;
    for (const tone of TONES[decision]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = tone.type;
      osc.frequency.value = tone.freq;
      gain.gain.setValueAtTime(0.0001, now + tone.start);
      gain.gain.exponentialRampToValueAtTime(0.3, now + tone.start + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + tone.start + tone.duration);
      osc.connect(gain).connect(context.destination);
      osc.start(now + tone.start);
      osc.stop(now + tone.start + tone.duration + 0.02);
    }
  } catch {
    // No audio device (or a locked-down browser): the colour, icon and text still say it.
  }
}
