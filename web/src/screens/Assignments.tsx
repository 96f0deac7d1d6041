export function Assignments() {
  return <section class="screen"><h1>Assignments</h1></section>;
}
