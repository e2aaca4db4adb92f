/** The signed-in session, provided by the shell to every page inside it (always non-null there). */
import { createContext, useContext, type Accessor } from "solid-js";
import type { SessionDto } from "../worker/contract/dto";

export const SessionContext = createContext<Accessor<SessionDto>>();

export function useSession(): Accessor<SessionDto> {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession() is only available inside the app shell");
  return session;
}
