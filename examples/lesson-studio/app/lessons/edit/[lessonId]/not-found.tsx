export { default } from "../../[lessonId]/not-found";
