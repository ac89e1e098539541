/** The API's answers, as the page reads them (see docs/architecture.md for the routes). */

export interface SignedIn {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  username: string;
  roles: string[];
  scopes: string[];
}

export type VideoStatus = 'AWAITING_UPLOAD' | 'PROCESSING' | 'READY' | 'FAILED';

export interface Rendition {
  name: string;
  kind: 'HLS' | 'MP4';
  width: number;
  height: number;
  bitrateKbps: number;
}

export interface Video {
  videoId: string;
  title: string;
  description: string | null;
  status: VideoStatus;
  failureReason: string | null;
  processingPercent: number | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  renditions: Rendition[];
  hasPoster: boolean;
  hasStoryboard: boolean;
  posterUrl?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VideoPage {
  items: Video[];
  nextCursor: string | null;
}

export interface MediaUrl {
  name: string;
  width: number;
  height: number;
  bitrateKbps: number;
  url: string;
}

export interface PlaybackAnswer {
  videoId: string;
  /** Relative to the playback route's URL. */
  hls: string | null;
  mp4: MediaUrl[];
  poster: string | null;
  storyboard: string | null;
  /** Relative to the playback route's URL. */
  storyboardVtt: string | null;
  expiresAt: string;
  resumeAt: number | null;
}

export interface SinglePut {
  method: string;
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

export interface MultipartPlan {
  uploadId: string;
  partSize: number;
  parts: { partNumber: number; url: string }[];
  /** Relative to the POST /uploads URL. */
  complete: string;
  /** Relative to the POST /uploads URL. */
  abort: string;
  expiresAt: string;
}

export interface StartedUpload {
  videoId: string;
  status: VideoStatus;
  upload: SinglePut | null;
  multipart: MultipartPlan | null;
}

export interface UploadLimits {
  maxBytes: number;
  types: Record<string, string[]>;
}

export interface Account {
  userId: string;
  username: string;
  roles: string[];
  status: 'ACTIVE' | 'DISABLED';
  createdAt: string;
}
