"use client";
import { forwardRef, type FieldsetHTMLAttributes, type ReactNode } from "react";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { useMessages } from "../../shared/use-messages.js";
import { formatMessage, type MessagesOverride } from "../../messages.js";
import { FormField } from "../atoms/FormField.js";

export interface LessonMetadata {
  title: string;
  description: string;
}

export type LessonMetadataErrors = { [Field in keyof LessonMetadata]?: ReactNode | undefined };

export interface MetadataSectionProps extends Omit<FieldsetHTMLAttributes<HTMLFieldSetElement>, "children" | "onChange" | "onBlur"> {
  value: LessonMetadata;
  onChange: (next: LessonMetadata) => void;
  /** Called when a field loses focus (e.g. to validate it). */
  onFieldBlur?: ((field: keyof LessonMetadata) => void) | undefined;
  errors?: LessonMetadataErrors | undefined;
  titleMaxLength?: number | undefined;
  descriptionMaxLength?: number | undefined;
  descriptionRequired?: boolean | undefined;
  /** Heading of the group; default "Lesson details". */
  legend?: ReactNode | undefined;
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** Title and description fields with hints, character counts and errors linked by `aria-describedby`. */
export const MetadataSection = /* @__PURE__ */ forwardRef<HTMLFieldSetElement, MetadataSectionProps>(function MetadataSection(
  {
    value,
    onChange,
    onFieldBlur,
    errors = {},
    titleMaxLength = 120,
    descriptionMaxLength = 5000,
    descriptionRequired = false,
    legend,
    messages: messagesProp,
    unstyled: unstyledProp,
    className,
    ...fieldsetProps
  },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const counter = (length: number, max: number) => formatMessage(messages.form.characterCount, { length, count: max }, messages.locale);
  return (
    <KitSettingsProvider messages={messagesProp} unstyled={unstyledProp}>
      <fieldset {...fieldsetProps} ref={ref} className={componentClassName(unstyled, "lvk-section", className)}>
        <legend className={kit("lvk-section__legend")}>{legend ?? messages.form.details}</legend>
        <FormField
          label={messages.form.title}
          hint={messages.form.titleHint || undefined}
          error={errors.title}
          counter={counter(value.title.length, titleMaxLength)}
          required
        >
          <input
            type="text"
            name="title"
            autoComplete="off"
            value={value.title}
            className={kit("lvk-field__control")}
            onChange={(event) => onChange({ ...value, title: event.target.value })}
            onBlur={() => onFieldBlur?.("title")}
          />
        </FormField>
        <FormField
          label={messages.form.description}
          hint={messages.form.descriptionHint || undefined}
          error={errors.description}
          counter={counter(value.description.length, descriptionMaxLength)}
          required={descriptionRequired}
        >
          <textarea
            name="description"
            rows={5}
            value={value.description}
            className={kit("lvk-field__control")}
            onChange={(event) => onChange({ ...value, description: event.target.value })}
            onBlur={() => onFieldBlur?.("description")}
          />
        </FormField>
      </fieldset>
    </KitSettingsProvider>
  );
});
