import { useEffect } from 'react';

// Locks after a period without keyboard or pointer activity: 10 minutes unless the user chose
// otherwise on this device (a preference, not a secret).

export const LOCK_MINUTES_KEY = 'clsm.lockMinutes';
export const LOCK_CHOICES = [5, 10, 15, 30] as const;

export function lockMinutes(): number {
  const chosen = Number(localStorage.getItem(LOCK_MINUTES_KEY));
  return (LOCK_CHOICES as readonly number[]).includes(chosen) ? chosen : 10;
}

export function useIdleLock(active: boolean, lock: () => void): void {
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(lock, lockMinutes() * 60_000);
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(lock, lockMinutes() * 60_000);
    };
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [active, lock]);
}
