"use client";
import {
  cloneElement,
  forwardRef,
  isValidElement,
  useId,
  type HTMLAttributes,
  type ReactElement,
  type ReactNode,
} from "react";
import { componentClassName } from "../../shared/class-names.js";
import { KitSettingsProvider, useUnstyled } from "../../shared/kit-settings.js";
import { useMessages } from "../../shared/use-messages.js";
import type { MessagesOverride } from "../../messages.js";
import { ValidationMessage } from "./ValidationMessage.js";

/** What the control inside a `FormField` needs to be labelled and described. */
export interface FormFieldControlProps {
  id: string;
  "aria-describedby"?: string | undefined;
  "aria-invalid"?: true | undefined;
  "aria-required"?: true | undefined;
}

export interface FormFieldProps extends Omit<HTMLAttributes<HTMLDivElement>, "children"> {
  label: ReactNode;
  /** Help text under the label. */
  hint?: ReactNode | undefined;
  /** Validation error; marks the control invalid and describes it. */
  error?: ReactNode | undefined;
  /** Shown after the hint, e.g. a character count. */
  counter?: ReactNode | undefined;
  required?: boolean | undefined;
  /** Id of the control; generated when omitted. */
  controlId?: string | undefined;
  /** One input/textarea/select element (its props are merged), or a function receiving the wiring. */
  children: ReactElement<Record<string, unknown>> | ((control: FormFieldControlProps) => ReactNode);
  messages?: MessagesOverride | undefined;
  unstyled?: boolean | undefined;
}

/** Label, hint, control and error, linked with `htmlFor` and `aria-describedby`. */
export const FormField = /* @__PURE__ */ forwardRef<HTMLDivElement, FormFieldProps>(function FormField(
  { label, hint, error, counter, required, controlId, children, messages: messagesProp, unstyled: unstyledProp, className, ...divProps },
  ref,
) {
  const unstyled = useUnstyled(unstyledProp);
  const messages = useMessages(messagesProp);
  const generatedId = useId();
  const id = controlId ?? `${generatedId}-control`;
  const hintId = `${id}-hint`;
  const counterId = `${id}-counter`;
  const errorId = `${id}-error`;
  const hasError = error !== undefined && error !== null && error !== false && error !== "";
  const describedBy = [hasError ? errorId : null, hint ? hintId : null, counter ? counterId : null]
    .filter(Boolean)
    .join(" ");
  const control: FormFieldControlProps = {
    id,
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
    ...(hasError ? { "aria-invalid": true as const } : {}),
    ...(required ? { "aria-required": true as const } : {}),
  };
  const kit = (name: string) => componentClassName(unstyled, name, undefined);

  let rendered: ReactNode;
  if (typeof children === "function") {
    rendered = children(control);
  } else if (isValidElement(children)) {
    const own = children.props["aria-describedby"];
    rendered = cloneElement(children, {
      ...control,
      "aria-describedby": [control["aria-describedby"], typeof own === "string" ? own : null].filter(Boolean).join(" ") || undefined,
    });
  }

  return (
    <KitSettingsProvider messages={messagesProp} unstyled={unstyledProp}>
      <div
        {...divProps}
        ref={ref}
        data-state={hasError ? "invalid" : "valid"}
        className={componentClassName(unstyled, "lvk-field", className)}
      >
        <label htmlFor={id} className={kit("lvk-field__label")}>
          {label}
          {required ? (
            <span aria-hidden="true" className={kit("lvk-field__required")}>
              {` (${messages.form.required})`}
            </span>
          ) : null}
        </label>
        {hint ? (
          <p id={hintId} className={kit("lvk-hint")}>
            {hint}
          </p>
        ) : null}
        {rendered}
        <div className={kit("lvk-field__footer")}>
          <ValidationMessage id={errorId}>
            {hasError ? error : null}
          </ValidationMessage>
          {counter ? (
            <p id={counterId} className={kit("lvk-field__counter")}>
              {counter}
            </p>
          ) : null}
        </div>
      </div>
    </KitSettingsProvider>
  );
});
