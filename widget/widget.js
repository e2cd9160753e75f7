/*
 * The clinic's chat widget: one script tag, no build step, no dependencies.
 *
 *   <script src="https://assistant.example-clinic.com/webhooks/webchat/widget.js"
 *           data-server-url="https://assistant.example-clinic.com"   (optional: defaults to where this file comes from)
 *           data-clinic-name="Demo Skin Clinic"
 *           data-color="#0f766e"
 *           data-greeting="Hi! Ask me anything about microneedling."
 *           data-privacy-url="https://example-clinic.com/privacy"     (optional)
 *           defer></script>
 *
 * It talks to the web chat channel (channels/webchat.py): POST session (a new, server-signed session id
 * and the greeting), history (the conversation so far, after a reload) and webhook (a message and its
 * answer). The session id and its signature are kept in localStorage; "Start over" forgets them.
 * Everything the assistant sends is inserted as text (never as HTML); links are http(s), mailto or tel.
 */
(function () {
  "use strict";

  if (window.ClinicChat) return; // the tag was pasted twice
  var script = document.currentScript;
  if (!script) return;

  var data = script.dataset;
  var clinicName = (data.clinicName || "the clinic").trim();
  var serverUrl = (data.serverUrl || "").trim();
  var base = serverUrl ? serverUrl.replace(/\/+$/, "") + "/webhooks/webchat/" : new URL(".", script.src).href;
  var storageKey = "clinic-chat:" + base;
  var openKey = storageKey + ":open";
  var HUMAN_PAYLOAD = "/request_human";
  var HUMAN_TITLE = "Talk to a person";
  var MAX_CHARS = parseInt(data.maxChars || "500", 10) || 500;
  var texts = {
    greeting: data.greeting || "Hi! I'm " + clinicName + "'s virtual assistant. Ask me anything about microneedling.",
    disclaimer: "Virtual assistant, not a clinician",
    privacy:
      "We keep this conversation to answer you. Please don't share more health details than needed. " +
      "For medical advice, speak to one of our practitioners.",
    typing: "The assistant is typing",
    unreachable: "Sorry, the assistant can't be reached right now. Please try again in a moment, or contact " + clinicName + " directly.",
    tooFast: "You're sending messages very quickly. Please wait a moment, then try again.",
    tooLong: "That message is too long. Please keep it under " + MAX_CHARS + " characters.",
    restarted: "A new conversation has started.",
    expired: "Your earlier conversation could not be continued, so a new one has started."
  };

  // --- small helpers --------------------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function safeUrl(value, schemes) {
    try {
      var url = new URL(String(value), base);
      return schemes.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function readStore(storage, key) {
    try {
      return storage.getItem(key);
    } catch (e) {
      return null; // storage blocked (privacy settings): the chat still works, without memory
    }
  }

  function writeStore(storage, key, value) {
    try {
      if (value === null) storage.removeItem(key);
      else storage.setItem(key, value);
    } catch (e) {
      /* see readStore */
    }
  }

  function loadSession() {
    try {
      var stored = JSON.parse(readStore(window.localStorage, storageKey) || "null");
      return stored && stored.session_id && stored.signature ? stored : null;
    } catch (e) {
      return null;
    }
  }

  function saveSession(session) {
    writeStore(window.localStorage, storageKey, session ? JSON.stringify(session) : null);
  }

  // The accent colour and a readable text colour on it (WCAG contrast).
  function accentColours(colour) {
    var accent = colour && window.CSS && CSS.supports("color", colour) ? colour : "#0f766e";
    var probe = el("span", { style: "color:" + accent + ";display:none" });
    (document.body || document.documentElement).appendChild(probe);
    var rgb = (getComputedStyle(probe).color.match(/[\d.]+/g) || [15, 118, 110]).slice(0, 3).map(Number);
    probe.remove();
    var luminance = rgb
      .map(function (c) {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
      })
      .reduce(function (sum, c, i) {
        return sum + c * [0.2126, 0.7152, 0.0722][i];
      }, 0);
    return { accent: accent, onAccent: luminance > 0.4 ? "#111111" : "#ffffff" };
  }

  // Text with **bold**, [links](https://...) and bare links; paragraphs and line breaks kept.
  var INLINE = /\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:|tel:)[^\s)]+)\)|((?:https?:\/\/)[^\s<]+[^\s<.,;:!?)\]'"])|\*\*([^*\n]+)\*\*/g;

  function inline(parent, line) {
    var last = 0;
    line.replace(INLINE, function (match, label, href, bare, bold, offset) {
      if (offset > last) parent.appendChild(document.createTextNode(line.slice(last, offset)));
      if (bold) {
        parent.appendChild(el("strong", { text: bold }));
      } else {
        var url = safeUrl(href || bare, ["http:", "https:", "mailto:", "tel:"]);
        if (url) {
          parent.appendChild(el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: label || bare }));
        } else {
          parent.appendChild(document.createTextNode(match));
        }
      }
      last = offset + match.length;
      return match;
    });
    if (last < line.length) parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function richText(text) {
    var container = el("div", { className: "text" });
    String(text)
      .split(/\n{2,}/)
      .forEach(function (paragraph) {
        var p = el("p");
        paragraph.split("\n").forEach(function (line, index) {
          if (index > 0) p.appendChild(el("br"));
          inline(p, line);
        });
        container.appendChild(p);
      });
    return container;
  }

  // --- the interface --------------------------------------------------------------------------------

  var colours = accentColours(data.color);
  var host = el("div", { id: "clinic-chat-widget" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var css =
    ":host{all:initial}" +
    "*{box-sizing:border-box}" +
    ".chat{--accent:" + colours.accent + ";--on-accent:" + colours.onAccent + ";font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933}" +
    ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}" +
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:12px 18px;background:var(--accent);color:var(--on-accent);font:inherit;font-weight:600;cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.25)}" +
    ".launcher svg{width:22px;height:22px;fill:currentColor}" +
    "button:focus-visible,a:focus-visible,textarea:focus-visible,.log:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}" +
    ".window{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:380px;max-width:calc(100vw - 24px);height:600px;max-height:calc(100vh - 40px);display:flex;flex-direction:column;background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.3)}" +
    ".window[hidden],.launcher[hidden]{display:none}" +
    "header{display:flex;align-items:flex-start;gap:8px;padding:12px 14px;background:var(--accent);color:var(--on-accent)}" +
    "header .titles{flex:1;min-width:0}" +
    "header h2{margin:0;font-size:16px;line-height:1.3}" +
    "header p{margin:2px 0 0;font-size:13px;opacity:.95}" +
    "header button{border:1px solid currentColor;background:transparent;color:inherit;border-radius:8px;padding:4px 8px;font:inherit;font-size:13px;cursor:pointer;min-height:32px}" +
    "header .close{font-size:20px;line-height:1;min-width:32px}" +
    ".privacy{margin:0;padding:8px 14px;font-size:12px;color:#3e4c59;background:#f5f7fa;border-bottom:1px solid #e4e7eb}" +
    ".privacy a{color:#1d4ed8}" +
    ".log{flex:1;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px;background:#fff}" +
    ".intro{font-size:14px;color:#3e4c59;background:#f5f7fa;border-radius:10px;padding:10px 12px}" +
    ".intro p{margin:0 0 6px}.intro p:last-child{margin:0}" +
    ".msg{max-width:85%;display:flex;flex-direction:column;gap:6px}" +
    ".msg .bubble{padding:8px 12px;border-radius:14px;word-wrap:break-word;overflow-wrap:anywhere}" +
    ".msg p{margin:0 0 6px}.msg p:last-child{margin:0}" +
    ".assistant{align-self:flex-start}.assistant .bubble{background:#eef2f6;border-bottom-left-radius:4px}" +
    ".visitor{align-self:flex-end}.visitor .bubble{background:var(--accent);color:var(--on-accent);border-bottom-right-radius:4px}" +
    ".visitor a{color:inherit}.assistant a{color:#1d4ed8}" +
    ".msg img{max-width:100%;border-radius:10px}" +
    ".replies{display:flex;flex-wrap:wrap;gap:6px}" +
    ".replies button,.replies a{border:1.5px solid var(--accent);background:#fff;color:#1f2933;border-radius:999px;padding:6px 12px;font:inherit;font-size:14px;cursor:pointer;text-decoration:none;min-height:36px}" +
    ".replies button:hover{background:#f0f4f8}" +
    ".replies button:disabled{opacity:.55;cursor:default;border-color:#cbd2d9}" +
    ".typing{align-self:flex-start;background:#eef2f6;border-radius:14px;padding:10px 14px;display:flex;gap:4px}" +
    ".typing span{width:7px;height:7px;border-radius:50%;background:#7b8794;animation:blink 1.2s infinite}" +
    ".typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}" +
    "@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}" +
    ".alert{margin:0 14px;padding:8px 10px;border-radius:8px;background:#fde8e8;color:#8a1c1c;font-size:13px}" +
    ".alert:empty{display:none}" +
    ".actions{padding:8px 14px 0;display:flex}" +
    ".human{border:0;background:transparent;color:#1d4ed8;text-decoration:underline;font:inherit;font-size:14px;cursor:pointer;padding:4px 0;min-height:32px}" +
    "form{display:flex;gap:8px;padding:8px 14px 14px;align-items:flex-end}" +
    "textarea{flex:1;resize:none;border:1.5px solid #9aa5b1;border-radius:10px;padding:8px 10px;font:inherit;max-height:120px;min-height:40px}" +
    "form button{border:0;border-radius:10px;padding:0 16px;min-height:40px;background:var(--accent);color:var(--on-accent);font:inherit;font-weight:600;cursor:pointer}" +
    "@media (max-width:480px){.window{right:0;bottom:0;width:100vw;max-width:100vw;height:100vh;height:100dvh;max-height:none;border-radius:0}.launcher{right:12px;bottom:12px}}" +
    "@media (prefers-reduced-motion:reduce){.typing span{animation:none;opacity:.6}}";

  var style = el("style", { text: css });
  var launcher = el("button", {
    type: "button",
    className: "launcher",
    "aria-expanded": "false",
    "aria-controls": "cc-window",
    "aria-label": "Chat with " + clinicName + "'s virtual assistant"
  });
  var SVG = "http://www.w3.org/2000/svg";
  var icon = document.createElementNS(SVG, "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("focusable", "false");
  var bubble = document.createElementNS(SVG, "path");
  bubble.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z");
  icon.appendChild(bubble);
  launcher.appendChild(icon);
  launcher.appendChild(el("span", { text: "Chat" }));

  var restartButton = el("button", { type: "button", className: "restart", text: "Start over" });
  var closeButton = el("button", { type: "button", className: "close", "aria-label": "Close chat", text: "×" });
  var privacyUrl = data.privacyUrl ? safeUrl(data.privacyUrl, ["http:", "https:"]) : null;
  var privacy = el("p", { className: "privacy", id: "cc-privacy" }, [texts.privacy + " "]);
  if (privacyUrl) {
    privacy.appendChild(el("a", { href: privacyUrl, target: "_blank", rel: "noopener noreferrer", text: "Privacy notice" }));
  }
  var log = el("div", { className: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
  var intro = el("div", { className: "intro" }, [richText(texts.greeting)]);
  var typing = el("div", { className: "typing", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]);
  var status = el("div", { className: "sr-only", role: "status", "aria-live": "polite" });
  var alertBox = el("div", { className: "alert", role: "alert" });
  var humanButton = el("button", { type: "button", className: "human", text: HUMAN_TITLE });
  var input = el("textarea", {
    id: "cc-input",
    rows: "1",
    maxlength: String(MAX_CHARS),
    placeholder: "Type your question…",
    autocomplete: "off",
    "aria-describedby": "cc-disclaimer"
  });
  var sendButton = el("button", { type: "submit", text: "Send" });
  var form = el("form", { "aria-label": "Send a message" }, [
    el("label", { for: "cc-input", className: "sr-only", text: "Your message" }),
    input,
    sendButton
  ]);
  var windowEl = el(
    "section",
    { className: "window", id: "cc-window", role: "dialog", "aria-labelledby": "cc-title", "aria-describedby": "cc-disclaimer cc-privacy", hidden: true },
    [
      el("header", {}, [
        el("div", { className: "titles" }, [
          el("h2", { id: "cc-title", text: clinicName }),
          el("p", { id: "cc-disclaimer", text: texts.disclaimer })
        ]),
        restartButton,
        closeButton
      ]),
      privacy,
      log,
      alertBox,
      status,
      el("div", { className: "actions" }, [humanButton]),
      form
    ]
  );
  var chat = el("div", { className: "chat" }, [launcher, windowEl]);
  root.appendChild(style);
  root.appendChild(chat);
  log.appendChild(intro);

  // --- conversation ---------------------------------------------------------------------------------

  var session = loadSession();
  var loaded = false; // greeting or history shown for the current session
  var queue = Promise.resolve();
  var pending = 0;

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function setAlert(message) {
    alertBox.textContent = message || "";
  }

  function setTyping(on) {
    pending += on ? 1 : -1;
    if (pending > 0) {
      if (!typing.parentNode) log.appendChild(typing);
      status.textContent = texts.typing;
    } else {
      if (typing.parentNode) typing.remove();
      status.textContent = "";
    }
    scrollToEnd();
  }

  function disableOldReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".replies button"), function (button) {
      button.disabled = true;
    });
  }

  function replyButtons(buttons, active) {
    var group = el("div", { className: "replies", role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (button) {
      var title = String(button.title || button.payload || "");
      var payload = String(button.payload || "");
      var link = /^https?:\/\//i.test(payload) ? safeUrl(payload, ["http:", "https:"]) : null;
      if (link) {
        group.appendChild(el("a", { href: link, target: "_blank", rel: "noopener noreferrer", text: title }));
      } else {
        group.appendChild(
          el("button", {
            type: "button",
            text: title,
            disabled: !active,
            onclick: function () {
              send(payload, title);
            }
          })
        );
      }
    });
    return group;
  }

  function addMessage(message, from, active) {
    var parts = [];
    if (message.text) parts.push(el("div", { className: "bubble" }, [richText(message.text)]));
    var image = message.image || (message.attachment && message.attachment.payload && message.attachment.payload.src);
    var imageUrl = image ? safeUrl(image, ["http:", "https:"]) : null;
    if (imageUrl) parts.push(el("img", { src: imageUrl, alt: "Image from the assistant", loading: "lazy" }));
    if (typeof message.attachment === "string") {
      var link = safeUrl(message.attachment, ["http:", "https:"]);
      if (link) parts.push(el("div", { className: "bubble" }, [el("a", { href: link, target: "_blank", rel: "noopener noreferrer", text: "Open attachment" })]));
    }
    var buttons = message.buttons || message.quick_replies;
    if (buttons && buttons.length) parts.push(replyButtons(buttons, active));
    if (!parts.length) return;
    var who = el("span", { className: "sr-only", text: from === "visitor" ? "You said: " : clinicName + " assistant: " });
    var node = el("div", { className: "msg " + from }, [who].concat(parts));
    if (typing.parentNode) log.insertBefore(node, typing);
    else log.appendChild(node);
    scrollToEnd();
  }

  function addAssistantMessages(messages) {
    (messages || []).forEach(function (message) {
      addMessage(message, "assistant", true);
    });
  }

  function clearConversation() {
    Array.prototype.slice.call(log.children).forEach(function (child) {
      if (child !== intro) child.remove();
    });
    pending = 0;
    setTyping(false);
    setAlert("");
  }

  function post(path, body) {
    return fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
      credentials: "omit",
      mode: "cors"
    }).then(function (answer) {
      return answer
        .json()
        .catch(function () {
          return {};
        })
        .then(function (json) {
          if (!answer.ok) {
            var failure = new Error(json.error || "http_" + answer.status);
            failure.code = json.error || "http_" + answer.status;
            throw failure;
          }
          return json;
        });
    });
  }

  function startSession() {
    setTyping(true);
    return post("session", {})
      .then(function (answer) {
        session = { session_id: answer.session_id, signature: answer.signature };
        saveSession(session);
        loaded = true;
        addAssistantMessages(answer.messages);
      })
      .finally(function () {
        setTyping(false);
      });
  }

  function loadHistory() {
    setTyping(true);
    return post("history", session)
      .then(function (answer) {
        var messages = answer.messages || [];
        var lastVisitor = -1;
        messages.forEach(function (message, index) {
          if (message.from === "visitor") lastVisitor = index;
        });
        messages.forEach(function (message, index) {
          addMessage(message, message.from === "visitor" ? "visitor" : "assistant", index > lastVisitor);
        });
        loaded = true;
      })
      .catch(function (failure) {
        if (failure.code === "invalid_session") {
          saveSession((session = null));
          return startSession();
        }
        throw failure;
      })
      .finally(function () {
        setTyping(false);
      });
  }

  // The session is created (or its history fetched) when the visitor first opens the chat.
  function ensureConversation() {
    if (loaded) return Promise.resolve();
    return session ? loadHistory() : startSession();
  }

  function explain(failure) {
    var code = failure && failure.code;
    if (code === "rate_limited") setAlert(texts.tooFast);
    else if (code === "too_long") setAlert(texts.tooLong);
    else setAlert(texts.unreachable);
  }

  function enqueue(task) {
    queue = queue.then(task).catch(explain);
    return queue;
  }

  function send(text, shownAs) {
    text = String(text || "").trim();
    if (!text) return queue;
    setAlert("");
    disableOldReplies();
    addMessage({ text: shownAs || text }, "visitor", false);
    return enqueue(function () {
      return ensureConversation().then(function () {
        setTyping(true);
        return post("webhook", { session_id: session.session_id, signature: session.signature, message: text })
          .then(function (answer) {
            addAssistantMessages(answer.messages);
          })
          .catch(function (failure) {
            if (failure.code !== "invalid_session") throw failure;
            saveSession((session = null));
            loaded = false;
            return startSession().then(function () {
              setAlert(texts.expired);
            });
          })
          .finally(function () {
            setTyping(false);
          });
      });
    });
  }

  function restart() {
    saveSession((session = null));
    loaded = false;
    clearConversation();
    status.textContent = texts.restarted;
    input.focus();
    return enqueue(startSession);
  }

  function open() {
    windowEl.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    writeStore(window.sessionStorage, openKey, "1");
    input.focus();
    return enqueue(ensureConversation);
  }

  function close() {
    windowEl.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    writeStore(window.sessionStorage, openKey, null);
    launcher.focus();
  }

  launcher.addEventListener("click", open);
  closeButton.addEventListener("click", close);
  restartButton.addEventListener("click", restart);
  humanButton.addEventListener("click", function () {
    send(HUMAN_PAYLOAD, HUMAN_TITLE);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  windowEl.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });

  function mount() {
    document.body.appendChild(host);
    if (readStore(window.sessionStorage, openKey) === "1" || data.open === "true") open();
  }

  window.ClinicChat = { open: open, close: close, restart: restart };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
