/**
 * Follows the device's light/dark preference before the first paint (the theme's dark tokens
 * hang off a `dark` class on <html>). It leaves an explicit choice made by anything else alone.
 */
const script = `(function(){try{var d=document.documentElement;if(d.classList.contains("light")||d.classList.contains("dark"))return;var m=window.matchMedia("(prefers-color-scheme: dark)");var a=function(){d.classList.toggle("dark",m.matches)};a();m.addEventListener("change",a)}catch(e){}})()`;

export function SystemThemeScript() {
  return (
    <script
      // Runs while the HTML is parsed, so the page never flashes light in a dark room.
      // biome-ignore lint/security/noDangerouslySetInnerHtml: a constant, no user input
      dangerouslySetInnerHTML={{ __html: script }}
    />
  );
}
