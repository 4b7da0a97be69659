import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

// A labelled single choice (React Aria Select): keyboard and screen-reader ready.

export function Choice<K extends string>(props: {
  label: string;
  name: string;
  value: K;
  options: readonly { id: K; label: string }[];
  onChange: (value: K) => void;
}) {
  return (
    <Select
      className="field"
      name={props.name}
      value={props.value}
      onChange={(key) => {
        props.onChange(key as K);
      }}
    >
      <Label>{props.label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Popover>
        <ListBox className="listbox">
          {props.options.map((o) => (
            <ListBoxItem key={o.id} id={o.id} className="option">
              {o.label}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
