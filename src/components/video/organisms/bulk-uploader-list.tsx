"use client";
import { memo } from "react";
import type { QueueItem, UploadQueue, UploadQueueSnapshot } from "../../../core/upload-queue.js";
import { componentClassName } from "../../shared/class-names.js";
import { useUnstyled } from "../../shared/kit-settings.js";
import { useAllMessages } from "../../shared/use-messages.js";
import { formatBytes, formatDuration, formatPercent, formatSpeed } from "../../shared/format.js";
import { formatMessage, type ComponentMessages } from "../../messages.js";
import { ProgressBar } from "../atoms/ProgressBar.js";

/** Props of the list part of `BulkUploader` (loaded on demand; its `messages` and `unstyled` come from the uploader's settings). */
export interface BulkQueueListProps {
  snapshot: UploadQueueSnapshot;
  queue: UploadQueue;
}

function itemStatusText(item: QueueItem, messages: ComponentMessages): string {
  switch (item.status) {
    case "queued":
      return messages.bulk.queued;
    case "needs_file":
      return messages.bulk.needsFile;
    case "refused":
      return messages.bulk.refused;
    case "cancelled":
      return messages.bulk.cancelled;
    case "paused":
      return item.upload?.status === "paused" && item.upload.pausedReason === "offline" ? messages.status.pausedOffline : messages.status.paused;
    default:
      return messages.status[item.status];
  }
}

/** An item's error as people read it; a refused link says why (`details.reason`). */
function errorText(item: QueueItem, messages: ComponentMessages): string {
  const error = item.error;
  if (!error) return "";
  const reason = error.code === "url_refused" ? error.details?.reason : undefined;
  if (typeof reason === "string" && reason in messages.linkRefusals) return messages.linkRefusals[reason as keyof ComponentMessages["linkRefusals"]];
  return messages.errors[error.code];
}

/** The overall bar, the queue's actions and notices, and one row per item. */
export function BulkQueueList({ snapshot, queue }: BulkQueueListProps) {
  const messages = useAllMessages();
  const unstyled = useUnstyled();
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const { totals } = snapshot;
  const { counts } = totals;
  const locale = messages.locale;
  const counted = snapshot.items.length - counts.refused - counts.cancelled;
  const retryable = snapshot.items.filter((item) => item.status === "error" && item.retryable).length;
  const waitingForFiles = snapshot.items.filter((item) => item.status === "needs_file");
  const running = counts.validating + counts.requesting + counts.uploading + counts.queued > 0;
  const details = [
    formatMessage(messages.status.bytes, { sent: formatBytes(totals.bytesSent, locale), total: formatBytes(totals.totalBytes, locale) }, locale),
    totals.speed > 0 ? formatMessage(messages.status.speed, { speed: formatSpeed(totals.speed, locale) }, locale) : "",
    totals.eta !== undefined ? formatMessage(messages.status.eta, { time: formatDuration(totals.eta, locale) }, locale) : "",
  ].filter(Boolean);
  return (
    <div className={kit("lvk-bulk__queue")}>
      <div className={kit("lvk-bulk__overall")}>
        <p className={kit("lvk-bulk__summary")}>
          <strong>{formatMessage(messages.bulk.summary, { done: counts.complete, count: counted }, locale)}</strong>{" "}
          <span className={kit("lvk-hint")}>{details.join(" · ")}</span>
        </p>
        <ProgressBar value={totals.progress} valueText={formatPercent(totals.progress, locale)} label={messages.bulk.overallProgressLabel} />
        <div className={kit("lvk-bulk__actions")}>
          {snapshot.paused ? (
            <button type="button" className={kit("lvk-button")} onClick={() => queue.resumeAll()}>
              {messages.bulk.resumeAll}
            </button>
          ) : running ? (
            <button type="button" className={kit("lvk-button")} onClick={() => queue.pauseAll()}>
              {messages.bulk.pauseAll}
            </button>
          ) : null}
          {retryable > 0 ? (
            <button type="button" className={kit("lvk-button")} onClick={() => queue.retryFailed()}>
              {formatMessage(messages.bulk.retryFailed, { count: retryable }, locale)}
            </button>
          ) : null}
        </div>
      </div>
      {snapshot.held ? (
        <p className={kit("lvk-notice lvk-bulk__held")} data-kind="held">
          {formatMessage(messages.bulk.held, { message: messages.errors[snapshot.held.code] }, locale)}{" "}
          <button type="button" className={kit("lvk-button")} onClick={() => queue.resumeAll()}>
            {messages.bulk.heldRetry}
          </button>
        </p>
      ) : null}
      {waitingForFiles.length > 0 ? (
        <p className={kit("lvk-notice lvk-bulk__restored")} data-kind="restored">
          {formatMessage(messages.bulk.restored, { count: waitingForFiles.length }, locale)}{" "}
          {waitingForFiles.some((item) => item.reopenable) ? (
            <button type="button" className={kit("lvk-button lvk-button--primary")} onClick={() => void queue.resumeFromHandles()}>
              {messages.bulk.reopen}
            </button>
          ) : null}
        </p>
      ) : null}
      <ul className={kit("lvk-bulk__list")} aria-label={messages.bulk.listLabel}>
        {snapshot.items.map((item) => (
          <BulkQueueRow key={item.id} item={item} queue={queue} />
        ))}
      </ul>
    </div>
  );
}

interface RowProps {
  item: QueueItem;
  queue: UploadQueue;
}

/** One item; re-renders only when its item object changes (the queue keeps it while the item does not change). */
const BulkQueueRow = memo(function BulkQueueRow({ item, queue }: RowProps) {
  const messages = useAllMessages();
  const unstyled = useUnstyled();
  const kit = (name: string) => componentClassName(unstyled, name, undefined);
  const name = { name: item.path };
  const locale = messages.locale;
  const showsProgress = item.status !== "refused" && item.status !== "cancelled" && item.status !== "complete" && item.status !== "error";
  const action = (label: string, run: () => void, kind = "") => (
    <button type="button" className={kit(`lvk-button lvk-button--quiet ${kind}`.trim())} onClick={run}>
      {formatMessage(label, name, locale)}
    </button>
  );
  return (
    <li className={kit("lvk-bulk__item")} data-status={item.status} data-item-id={item.id}>
      <div className={kit("lvk-bulk__item-head")}>
        <span className={kit("lvk-bulk__name")}>{item.path}</span>
        <span className={kit("lvk-bulk__status")}>{itemStatusText(item, messages)}</span>
      </div>
      {showsProgress ? (
        <ProgressBar
          value={item.status === "processing" ? null : item.progress}
          label={formatMessage(messages.bulk.itemProgress, { name: item.path }, locale)}
          valueText={formatMessage(messages.status.bytes, { sent: formatBytes(item.bytesSent, locale), total: formatBytes(item.size, locale) }, locale)}
        />
      ) : null}
      {item.error ? <p className={kit("lvk-bulk__error")}>{errorText(item, messages)}</p> : null}
      <div className={kit("lvk-bulk__item-actions")}>
        {item.status === "uploading" || item.status === "validating" || item.status === "requesting"
          ? action(messages.bulk.pauseItem, () => queue.pause(item.id))
          : null}
        {item.status === "paused" ? action(messages.bulk.resumeItem, () => queue.resume(item.id)) : null}
        {item.status === "queued" ? action(messages.bulk.uploadNext, () => queue.prioritize(item.id)) : null}
        {item.retryable ? action(messages.bulk.retryItem, () => void queue.retry(item.id)) : null}
        {["queued", "validating", "requesting", "uploading", "paused"].includes(item.status)
          ? action(messages.bulk.cancelItem, () => queue.cancel(item.id))
          : action(messages.bulk.removeItem, () => queue.remove(item.id))}
      </div>
    </li>
  );
});
