import type { Meta, StoryObj } from "@storybook/react-vite";
import { fn } from "storybook/test";
import { FormField, LanguageSelect, generatedCaptionLanguages } from "../../src/components/index.js";

const meta = {
  title: "Video/Atoms/LanguageSelect",
  component: LanguageSelect,
  args: { value: "en", onChange: fn() },
  render: (args) => (
    <FormField label="Language">
      <LanguageSelect {...args} />
    </FormField>
  ),
} satisfies Meta<typeof LanguageSelect>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Caption languages named in the reader's language (`Intl.DisplayNames`), sorted by name. */
export const Default: Story = {};

/** The languages Mux can generate captions for. */
export const GeneratedLanguages: Story = { args: { languages: generatedCaptionLanguages, value: "de" } };

/** Names in another locale. */
export const FrenchNames: Story = { args: { locale: "fr", value: "pt-BR" } };
