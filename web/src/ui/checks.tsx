import { CheckboxButton, CheckboxField, CheckboxGroup, Label, Text } from 'react-aria-components';

// Checkboxes from React Aria: a labelled group of choices, and a lone box named for a table cell.

export function Checks<K extends string>(props: {
  label: string;
  name: string;
  value: K[];
  options: readonly { id: K; label: string }[];
  onChange: (value: K[]) => void;
  description?: string;
}) {
  return (
    <CheckboxGroup
      className="field"
      name={props.name}
      value={props.value}
      onChange={(v) => {
        props.onChange(v as K[]);
      }}
    >
      <Label>{props.label}</Label>
      {props.options.map((o) => (
        <CheckboxField key={o.id} value={o.id}>
          <CheckboxButton className="checkbox">{o.label}</CheckboxButton>
        </CheckboxField>
      ))}
      {props.description === undefined ? null : <Text slot="description">{props.description}</Text>}
    </CheckboxGroup>
  );
}

/** A checkbox whose visible context is its table's headers; `label` names it for screen readers. */
export function CellCheck(props: { label: string; isSelected: boolean; onChange: (on: boolean) => void }) {
  return (
    <CheckboxField isSelected={props.isSelected} onChange={props.onChange}>
      <CheckboxButton className="checkbox">
        <span className="visually-hidden">{props.label}</span>
      </CheckboxButton>
    </CheckboxField>
  );
}
