/**
 * A moving picture (and a tone) as a `MediaStream`, for the recorder's stories and tests: what a camera or a shared
 * screen would give, with no device and no permission prompt.
 */
export function canvasMedia(label = "Camera"): MediaStream {
  const canvas = document.createElement("canvas");
  canvas.width = 640;
  canvas.height = 360;
  const context = canvas.getContext("2d");
  let frame = 0;
  const stream = canvas.captureStream(30);
  const draw = () => {
    if (!context || stream.getVideoTracks().every((track) => track.readyState === "ended")) return;
    frame++;
    context.fillStyle = "#1f2433";
    context.fillRect(0, 0, 640, 360);
    context.fillStyle = `hsl(${(frame * 3) % 360} 70% 60%)`;
    context.beginPath();
    context.arc(320 + Math.cos(frame / 20) * 180, 180 + Math.sin(frame / 15) * 100, 40, 0, Math.PI * 2);
    context.fill();
    context.fillStyle = "#fff";
    context.font = "28px system-ui, sans-serif";
    context.fillText(label, 24, 48);
    requestAnimationFrame(draw);
  };
  draw();
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const destination = audio.createMediaStreamDestination();
  tone.frequency.value = 220;
  tone.connect(destination);
  tone.start();
  for (const track of destination.stream.getAudioTracks()) stream.addTrack(track);
  return stream;
}
