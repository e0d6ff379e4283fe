/*
 * The transcript editor, enhanced: everything works without this script.
 *
 * - Selecting a timestamp plays the recording from there in the player on the page (without
 *   JavaScript the link opens the recording at that time: a media fragment, #t=seconds).
 * - Alt+K plays or pauses, Alt+J goes back 5 seconds, Alt+L forward 5 seconds, wherever the
 *   focus is (typing a correction included).
 * - The row being played is highlighted, and leaving the page with unsaved corrections asks
 *   first.
 */
(function () {
  "use strict";

  const player = document.querySelector("[data-transcript-player]");
  if (!player) {
    return;
  }
  const form = document.getElementById("transcript-editor");
  const rows = Array.from(document.querySelectorAll("tr[data-start]"));
  const STEP = 5;

  function seek(seconds) {
    player.currentTime = Math.max(0, seconds);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-seek]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    seek(parseFloat(link.dataset.seek));
    player.play();
  });

  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    // event.code, not event.key: Alt with a letter types another character on a Mac.
    if (event.code === "KeyK") {
      if (player.paused) {
        player.play();
      } else {
        player.pause();
      }
    } else if (event.code === "KeyJ") {
      seek(player.currentTime - STEP);
    } else if (event.code === "KeyL") {
      seek(player.currentTime + STEP);
    } else {
      return;
    }
    event.preventDefault();
  });

  let playing = null;
  player.addEventListener("timeupdate", () => {
    const now = player.currentTime;
    const row = rows.find(
      (candidate) =>
        parseFloat(candidate.dataset.start) <= now && now < parseFloat(candidate.dataset.end),
    );
    if (row === playing) {
      return;
    }
    if (playing) {
      playing.classList.remove("transcript-row--playing");
    }
    if (row) {
      row.classList.add("transcript-row--playing");
    }
    playing = row || null;
  });

  if (!form) {
    return;
  }
  let unsaved = false;
  form.addEventListener("input", () => {
    unsaved = true;
  });
  form.addEventListener("submit", () => {
    unsaved = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  const problems = document.getElementById("transcript-problems");
  if (problems) {
    problems.focus();
  }
})();
