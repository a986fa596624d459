"use client";
import { trimChapters, trimPosterTime } from "../../../core/trim.js";
import type { VideoAsset } from "../../../core/types.js";
import { TrimEditor } from "../../video/molecules/TrimEditor.js";
import type { LessonFormValue } from "../organisms/LessonForm.js";

/** Props of `LessonTrim`: the lesson's ready video and `LessonForm`'s setter. */
export interface LessonTrimProps {
  video: VideoAsset;
  value: LessonFormValue;
  setValue: (update: (current: LessonFormValue) => LessonFormValue) => void;
}

/**
 * `LessonForm`'s trim (it loads with the media panels, not with the form): the `TrimEditor` of the lesson's ready
 * video, whose "Save as a new video" replaces the video with the clipped one, drops the trim and moves the chapters
 * and the poster frame onto the clip's timeline.
 */
export function LessonTrim({ video, value, setValue }: LessonTrimProps) {
  return (
    <TrimEditor
      asset={video}
      value={value.trim}
      onChange={(trim) => setValue((current) => ({ ...current, trim }))}
      onClipCreated={(clip, trim) =>
        setValue((current) => ({
          ...current,
          video: clip,
          trim: undefined,
          ...(current.chapters ? { chapters: trimChapters(current.chapters, trim) } : {}),
          ...(current.thumbnailTime === undefined ? {} : { thumbnailTime: trimPosterTime(current.thumbnailTime, trim) }),
        }))
      }
    />
  );
}
