import { For, Show, createSignal } from "solid-js";

/** Ten recovery codes, shown once: copy to the clipboard or download as a text file. */
export function RecoveryCodesPanel(props: { codes: string[]; account: string }) {
  const [copied, setCopied] = createSignal(false);
  const text = () => `Cumulus recovery codes for ${props.account}\nEach code works once. Keep them somewhere safe.\n\n${props.codes.join("\n")}\n`;
  async function copy() {
    try {
      await navigator.clipboard.writeText(text());
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  function download() {
    const url = URL.createObjectURL(new Blob([text()], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "cumulus-recovery-codes.txt";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <section class="section" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">Recovery codes</h2>
      <p>
        <strong>Save these codes now: they are shown only once.</strong> If you lose your phone, each code signs you in once instead of an
        authentication code.
      </p>
      <ul class="recovery-codes" aria-label="Recovery codes">
        <For each={props.codes}>{(code) => <li><code>{code}</code></li>}</For>
      </ul>
      <div class="filter-actions">
        <button type="button" class="btn" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" class="btn" onClick={download}>
          Download codes
        </button>
      </div>
      <Show when={copied()}>
        <p role="status">Copied to the clipboard.</p>
      </Show>
    </section>
  );
}
