/** `*.txt` files are imported as Text modules (wrangler's default module rule): their content as a string. */
declare module "*.txt" {
  const text: string;
  export default text;
}
