import { Label, RadioButton, RadioField, RadioGroup } from 'react-aria-components';

// A labelled group of radio buttons (React Aria): arrows move the choice, Tab leaves the group.

export function Radios<K extends string>(props: {
  label: string;
  name: string;
  value: K;
  options: readonly { id: K; label: string }[];
  onChange(value: K): void;
}) {
  return (
    <RadioGroup
      className="field"
      name={props.name}
      value={props.value}
      onChange={(v) => {
        props.onChange(v as K);
      }}
    >
      <Label>{props.label}</Label>
      {props.options.map((o) => (
        <RadioField key={o.id} value={o.id}>
          <RadioButton className="radio">{o.label}</RadioButton>
        </RadioField>
      ))}
    </RadioGroup>
  );
}
