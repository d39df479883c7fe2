/** The conversion goal: signing up (credited to the home page's experiment variants). */
import { SignupButton } from '../../components/SignupButton';

export default function Signup() {
  return (
    <main>
      <h1>Start with Mosaic</h1>
      <p>One click, no credit card.</p>
      <SignupButton />
    </main>
  );
}
