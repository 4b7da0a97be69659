import { FieldError, Input, Label, Text, TextArea, TextField } from 'react-aria-components';

// Labelled fields from React Aria: label, description and error are tied to the input for
// assistive technologies.

interface FieldProps {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password' | 'date' | 'datetime-local';
  description?: string;
  autoComplete?: string;
  isRequired?: boolean;
  minLength?: number;
  validate?: (value: string) => string | null;
}

export function Field(props: FieldProps) {
  return (
    <TextField
      className="field"
      name={props.name}
      type={props.type ?? 'text'}
      value={props.value}
      onChange={props.onChange}
      isRequired={props.isRequired ?? true}
      validate={props.validate}
      validationBehavior="native"
      minLength={props.minLength}
      autoComplete={props.autoComplete}
    >
      <Label>{props.label}</Label>
      <Input />
      {props.description === undefined ? null : <Text slot="description">{props.description}</Text>}
      <FieldError />
    </TextField>
  );
}

export function LongField(props: Omit<FieldProps, 'type' | 'autoComplete'>) {
  return (
    <TextField
      className="field"
      name={props.name}
      value={props.value}
      onChange={props.onChange}
      isRequired={props.isRequired ?? true}
      validationBehavior="native"
    >
      <Label>{props.label}</Label>
      <TextArea rows={6} />
      {props.description === undefined ? null : <Text slot="description">{props.description}</Text>}
      <FieldError />
    </TextField>
  );
}
