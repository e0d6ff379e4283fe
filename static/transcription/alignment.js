// Marking agenda item starts while listening (progressive enhancement of the alignment form).
//
// Adds to each item's start field a "Mark start at current time" button, which fills the field
// from the player's position, and a "Listen from here" button, which plays the recording from
// the time in the field. Without JavaScript the officer types the times; nothing else changes.
(function () {
  "use strict";

  const player = document.querySelector("[data-alignment-player]");
  const status = document.querySelector("[data-alignment-status]");
  if (!player) {
    return;
  }

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  // 0:05:07, as the server shows times (whole seconds, hours always shown).
  function timestamp(seconds) {
    const whole = Math.max(Math.floor(seconds), 0);
    const hours = Math.floor(whole / 3600);
    const minutes = Math.floor((whole % 3600) / 60);
    return `${hours}:${pad(minutes)}:${pad(whole % 60)}`;
  }

  // "1:02:03", "62:03", "5:07" or "307" to seconds; null when it is not a time.
  function seconds(text) {
    const value = text.trim();
    if (!/^(\d+:){0,2}\d+(\.\d+)?$/.test(value)) {
      return null;
    }
    return value.split(":").reduce((total, part) => total * 60 + Number(part), 0);
  }

  function announce(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function button(text, hiddenText) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "button button-small button-secondary";
    element.append(text);
    const hidden = document.createElement("span");
    hidden.className = "w-sr-only";
    hidden.textContent = hiddenText;
    element.append(hidden);
    return element;
  }

  document.querySelectorAll("[data-alignment-input]").forEach((input) => {
    const label = input.dataset.itemLabel; // "item 52", or the title of an unnumbered item
    const sentenceLabel = label.charAt(0).toUpperCase() + label.slice(1);
    const mark = button("Mark start at current time", ` for ${label}`);
    mark.addEventListener("click", () => {
      input.value = timestamp(player.currentTime);
      input.removeAttribute("aria-invalid");
      announce(`${sentenceLabel} starts at ${input.value}. Save starts to keep it.`);
    });
    const listen = button("Listen from here", ` (${label})`);
    listen.addEventListener("click", () => {
      const start = seconds(input.value);
      if (start === null) {
        announce(`Enter a start for ${label} first, such as 0:05:07.`);
        input.focus();
        return;
      }
      player.currentTime = start;
      player.play().catch(() => announce("The recording could not be played."));
    });
    const buttons = document.createElement("div");
    buttons.className = "alignment-buttons";
    buttons.append(mark, " ", listen);
    input.insertAdjacentElement("afterend", buttons);
  });
})();
