import type { SignInFormState } from "@/lib/sign-in/schema";

export type { SignInFormState };

/** A server action used with useActionState by the sign-in forms. */
export type SignInFormAction = (
  state: SignInFormState,
  formData: FormData,
) => Promise<SignInFormState>;

/** A plain server action for forms without state (Cancel, Return to application). */
export type SignInPlainAction = (formData: FormData) => Promise<void>;
