import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The heading of an action's result, focused when it appears: a screen reader reads the outcome
 * at once, and the keyboard goes on from there rather than from a form that is gone.
 */
export function ResultHeading(props: { id: string; level?: 2 | 3; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const Heading = props.level === 3 ? 'h3' : 'h2';
  return (
    <Heading id={props.id} ref={ref} tabIndex={-1}>
      {props.children}
    </Heading>
  );
}
