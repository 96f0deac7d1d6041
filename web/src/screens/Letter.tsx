export function LetterScreen() {
  return <section class="screen"><h1>Letter</h1></section>;
}
